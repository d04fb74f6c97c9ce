export * from './page';
export * from './page-query.dto';
export * from './problem.dto';
