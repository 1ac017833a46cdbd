import { Injectable } from '@nestjs/common';
import { CharacterCatalog, CharacterOwnerships } from '#character';
import { ListScanHistory } from '#scan';
import {
  objectSchema,
  stringArg,
  type ChatTool,
  type ChatToolContext,
  type ChatToolOutcome,
} from './chat-tool.js';

const RECENT_SCANS = 5;

/** `character`: the catalog, the caller's own collection and their latest scans. */
@Injectable()
export class CharacterTool implements ChatTool {
  readonly name = 'character' as const;
  readonly description =
    '이코의 캐릭터 도감, 사용자가 모은 캐릭터와 최근 스캔 기록을 봅니다. 특정 캐릭터를 물으면 name에 그 이름을 넘기세요.';
  readonly parameters = objectSchema({ name: { type: 'string', description: '캐릭터 이름(선택)' } });
  readonly runningMessage = '캐릭터 정보를 찾고 있어요.';

  constructor(
    private readonly catalog: CharacterCatalog,
    private readonly ownerships: CharacterOwnerships,
    private readonly scans: ListScanHistory,
  ) {}

  available(): boolean {
    return true;
  }

  async run(args: Record<string, unknown>, context: ChatToolContext): Promise<ChatToolOutcome> {
    const [catalog, owned, history] = await Promise.all([
      this.catalog.list(),
      this.ownerships.listOwnedEnsuringDefault(context.userId),
      this.scans.run(context.userId, RECENT_SCANS),
    ]);
    const asked = stringArg(args, 'name', 40);
    const named =
      catalog.find((c) => asked !== undefined && (c.name === asked || asked.includes(c.name))) ??
      catalog.find((c) => c.name !== '이코' && context.question.includes(c.name)) ??
      null;
    const result = {
      character: named && {
        name: named.name,
        type: named.type,
        dialog: named.dialog,
        earned_by: named.match,
      },
      catalog: catalog.map((c) => c.name),
      owned: owned.map((o) => o.character.name),
      recent_scans: history.items.map((scan) => ({
        at: scan.created_at,
        category: scan.classification?.middle_category ?? null,
        reward: scan.reward?.received ? scan.reward.name : null,
      })),
    };
    return { result, summary: named ? named.name : `모은 캐릭터 ${owned.length}개` };
  }
}
