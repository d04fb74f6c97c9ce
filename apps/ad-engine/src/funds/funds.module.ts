import { Module } from '@nestjs/common';
import { FundsController } from './funds.controller';
import { FundsRepository } from './funds.repository';

/** The funds projection: what the engine has learned of each account's balance. */
@Module({
  controllers: [FundsController],
  providers: [FundsRepository],
  exports: [FundsRepository],
})
export class FundsModule {}
