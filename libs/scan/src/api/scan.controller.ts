import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { HttpReply, HttpRequest } from '#platform';
import { AppConfig, CurrentUser, publicBaseUrl, type AuthenticatedUser } from '#platform';
import { JobEventsRoute, JobEventStreams, JobStream, type JobStreamRequest } from '#platform';
import { ScanCategoriesDto, ScanJobStatusDto } from '../dto/scan-job-status.dto.js';
import { ScanSubmittedDto, SubmitScanDto } from '../dto/submit-scan.dto.js';
import { ListScanCategories } from './list-scan-categories.js';
import { OwnedScanJobs } from './owned-scan-job.js';
import { ReadScanJob } from './read-scan-job.js';
import { ScanEventFeed } from './scan-event-feed.js';
import { SubmitScan } from './submit-scan.js';

@ApiTags('scan')
@ApiBearerAuth()
@Controller('api/v1/scan')
export class ScanController {
  constructor(
    private readonly submitScan: SubmitScan,
    private readonly readScanJob: ReadScanJob,
    private readonly eventStreams: JobEventStreams,
    private readonly feed: ScanEventFeed,
    private readonly owned: OwnedScanJobs,
    private readonly listScanCategories: ListScanCategories,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ScanSubmittedDto })
  submit(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: SubmitScanDto,
    @Req() httpRequest: HttpRequest,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Headers('x-idempotency-key') legacyIdempotencyKey?: string,
  ): Promise<ScanSubmittedDto> {
    return this.submitScan.run({
      userId: user.id,
      request: body,
      idempotencyKey: idempotencyKey ?? legacyIdempotencyKey,
      baseUrl: publicBaseUrl(httpRequest, this.config),
    });
  }

  // Declared before the `:job_id` routes so "categories" is never taken for a job id.
  @Get('categories')
  @ApiOkResponse({ type: ScanCategoriesDto })
  categories(): ScanCategoriesDto {
    return this.listScanCategories.run();
  }

  /** The job's feed (`ScanEventFeed`) as SSE. */
  @JobEventsRoute()
  events(@JobStream() stream: JobStreamRequest, @Res() response: HttpReply): Promise<void> {
    return this.eventStreams.serve(stream, response, this.feed, (jobId, userId) =>
      this.owned.get(jobId, userId),
    );
  }

  @Get(':job_id/result')
  @ApiOkResponse({ description: 'completed or failed result; 202 + Retry-After while processing' })
  async result(
    @CurrentUser() user: AuthenticatedUser,
    @Param('job_id') jobId: string,
    @Res({ passthrough: true }) response: HttpReply,
  ): Promise<unknown> {
    const body = await this.readScanJob.result(jobId, user.id);
    if (body.status === 'processing') response.code(202).header('Retry-After', '2');
    return body;
  }

  @Get(':job_id')
  @ApiOkResponse({ type: ScanJobStatusDto })
  status(@CurrentUser() user: AuthenticatedUser, @Param('job_id') jobId: string): Promise<ScanJobStatusDto> {
    return this.readScanJob.status(jobId, user.id);
  }
}
