import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '#platform';
import { ScanHistoryPageDto, ScanHistoryQueryDto } from '../dto/scan-history.dto.js';
import { ListScanHistory } from './list-scan-history.js';

@ApiTags('my')
@ApiBearerAuth()
@Controller('api/v1/users/me/scans')
export class ScanHistoryController {
  constructor(private readonly listScanHistory: ListScanHistory) {}

  @Get()
  @ApiOkResponse({ type: ScanHistoryPageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ScanHistoryQueryDto,
  ): Promise<ScanHistoryPageDto> {
    return this.listScanHistory.run(user.id, query.limit, query.cursor);
  }
}
