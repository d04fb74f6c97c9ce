import { PROBLEM_CONTENT_TYPE } from '@app/http';
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ReplayedResponse } from './replayed-response';

/** Writes a stored answer back as it was first given: its status and body, a problem as a problem. */
@Catch(ReplayedResponse)
export class ReplayedResponseFilter implements ExceptionFilter<ReplayedResponse> {
  catch(replayed: ReplayedResponse, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(replayed.status)
      .setHeader('idempotent-replayed', 'true')
      .type(replayed.status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json')
      .json(replayed.body);
  }
}
