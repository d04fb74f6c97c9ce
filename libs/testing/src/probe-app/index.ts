export * from './probe.app';
export * from './probe.constants';
export * from './probe.consumer';
