import { ProblemDto } from '@app/dto';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, DECORATORS } from '@nestjs/swagger';
import { ApiCommonErrors } from './api-common-errors.decorator';
import { Public } from './public.decorator';

@ApiCommonErrors()
@Controller('things')
class ThingsController {
  @Post()
  create(@Body() _body: unknown): void {}

  @Get()
  list(@Query() _query: unknown): void {}

  @Get('count')
  count(): void {}

  @Patch(':id')
  @ApiNotFoundResponse({ description: 'No such thing' })
  update(@Param('id') _id: string, @Body() _body: unknown): void {}

  @Get('open')
  @Public()
  open(): void {}

  /** Not a route: left alone. */
  helper(): void {}
}

const statusesOf = (method: keyof ThingsController) =>
  Object.keys(
    (Reflect.getMetadata(DECORATORS.API_RESPONSE, ThingsController.prototype[method]) ?? {}) as Record<string, unknown>,
  );
const responseOf = (method: keyof ThingsController, status: number) =>
  (Reflect.getMetadata(DECORATORS.API_RESPONSE, ThingsController.prototype[method]) as Record<string, object>)[status];

describe('ApiCommonErrors', () => {
  it('gives a route with a body the JSON layer answers (400, 413, 415) besides 401 and 429', () => {
    expect(statusesOf('create').sort()).toEqual(['400', '401', '413', '415', '429']);
  });

  it('gives 400 to a route that validates a query, and none to one that reads no input', () => {
    expect(statusesOf('list').sort()).toEqual(['400', '401', '429']);
    expect(statusesOf('count').sort()).toEqual(['401', '429']);
  });

  it('adds 404 for a path parameter, keeping the description the route gave', () => {
    expect(statusesOf('update').sort()).toEqual(['400', '401', '404', '413', '415', '429']);
    expect(responseOf('update', 404)).toMatchObject({ description: 'No such thing' });
  });

  it('documents no key or rate limit on @Public routes, and leaves methods that are not routes alone', () => {
    expect(statusesOf('open')).toEqual([]);
    expect(statusesOf('helper')).toEqual([]);
  });

  it('answers with problem details, and says when to retry after a 429', () => {
    expect(responseOf('create', 415)).toMatchObject({ type: ProblemDto });
    expect(responseOf('create', 429)).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
  });
});
