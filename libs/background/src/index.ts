export * from './periodic-task';
export * from './wakeup';
