import { Module } from '@nestjs/common';
import { DisposalRules } from './disposal-rules.js';

/** The disposal-rule documents, read once per process by whichever features need them. */
@Module({ providers: [DisposalRules], exports: [DisposalRules] })
export class DisposalRulesModule {}
