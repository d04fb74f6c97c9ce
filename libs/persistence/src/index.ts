export * from './data-source-options';
export * from './open-data-source';
export * from './persistence.module';
export * from './newest-first-page';
export * from './write-batcher';
export * from './page-cursors';
export * from './prepared-statement';
