export * from './page';
export * from './page-query.dto';
export * from './problem.dto';
export * from './cursor';
export * from './money';
export * from './metadata';
export * from './currency';
export * from './rfc3339';
