export * from './page-query.dto';
export * from './problem.dto';
export * from './money';
export * from './metadata';
export * from './currency';
export * from './rfc3339';
export * from './optional-not-null';
export * from './decimal-integer';
