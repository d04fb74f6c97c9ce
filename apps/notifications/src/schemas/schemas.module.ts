import { Module } from '@nestjs/common';
import { SchemasController } from './schemas.controller';

/** The schema registry: read-only, from the event catalogue; no state of its own. */
@Module({ controllers: [SchemasController] })
export class SchemasModule {}
