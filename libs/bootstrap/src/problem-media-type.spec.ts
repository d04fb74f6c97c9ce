import { documentProblemsAsProblemJson } from './problem-media-type';

const problem = { schema: { $ref: '#/components/schemas/ProblemDto' } };
const view = { schema: { $ref: '#/components/schemas/ThingView' } };

describe('documentProblemsAsProblemJson', () => {
  it('gives problem bodies application/problem+json and leaves other bodies as they are', () => {
    const document = documentProblemsAsProblemJson({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things': {
          post: {
            responses: {
              '201': { description: '', content: { 'application/json': view } },
              '400': { description: '', content: { 'application/json': problem } },
              '204': { description: '' },
            },
          },
        },
      },
    });
    expect(document.paths['/things'].post?.responses).toEqual({
      '201': { description: '', content: { 'application/json': view } },
      '400': { description: '', content: { 'application/problem+json': problem } },
      '204': { description: '' },
    });
  });
});
