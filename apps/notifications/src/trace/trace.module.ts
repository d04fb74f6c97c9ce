import { Module } from '@nestjs/common';
import { EventTraceService } from './event-trace.service';
import { ProducerRecords } from './producer-records';
import { TraceController } from './trace.controller';
import { TraceRepository } from './trace.repository';

/** GET /events/:id/trace (CONTRACT.md section 10). */
@Module({
  controllers: [TraceController],
  providers: [EventTraceService, ProducerRecords, TraceRepository],
})
export class TraceModule {}
