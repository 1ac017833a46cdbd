import { Module } from '@nestjs/common';
import { AppConfig } from '#platform';
import { CharacterDataModule } from '#character';
import { RecentNewsModule } from '#info';
import { NearbyPlaces, NearbyPlacesModule } from '#location';
import { ScanDataModule } from '#scan';
import { StorageDataModule } from '#storage';
import { WasteClassifierModule } from '#waste';
import { AnswerChatTurn } from './answer-chat-turn.js';
import { ChatDataModule } from '../chat-data.module.js';
import { ChatDisposalRules } from './chat-disposal-rules.js';
import { ChatMemory } from './chat-memory.js';
import { ChatRequestConsumer } from './chat-request-consumer.js';
import { OfflineAssistant } from './offline-assistant.js';
import { BulkWasteTool } from '../tools/bulk-waste-tool.js';
import { CharacterTool } from '../tools/character-tool.js';
import { CHAT_TOOLS, type ChatTool } from '../tools/chat-tool.js';
import { ImageGenerationTool } from '../tools/image-generation-tool.js';
import { NewsTool } from '../tools/news-tool.js';
import { COLLECTION_POINT_TOOL, LOCATION_TOOL, PlaceTool } from '../tools/place-tools.js';
import { RunChatTools } from '../tools/run-chat-tools.js';
import { VisionTool } from '../tools/vision-tool.js';
import { WasteRulesTool } from '../tools/waste-rules-tool.js';
import { WeatherTool } from '../tools/weather-tool.js';
import { WebSearchTool } from '../tools/web-search-tool.js';

/** Each is offered only when `available` (outside services: when their key is set). */
const TOOLS = [
  VisionTool,
  WasteRulesTool,
  CharacterTool,
  BulkWasteTool,
  WeatherTool,
  NewsTool,
  WebSearchTool,
  ImageGenerationTool,
];

/** The AI worker's chat assistant: consumes `chat.requested`, runs the tool loop, stores the turn. */
@Module({
  imports: [
    ChatDataModule,
    WasteClassifierModule,
    StorageDataModule,
    CharacterDataModule,
    ScanDataModule,
    NearbyPlacesModule,
    RecentNewsModule,
  ],
  providers: [
    ChatDisposalRules,
    OfflineAssistant,
    ChatMemory,
    ...TOOLS,
    {
      provide: CHAT_TOOLS,
      inject: [NearbyPlaces, AppConfig, ...TOOLS],
      useFactory: (places: NearbyPlaces, config: AppConfig, ...tools: ChatTool[]): ChatTool[] => {
        const radiusM = config.int('CHAT_PLACES_RADIUS_M');
        return [
          ...tools,
          new PlaceTool(LOCATION_TOOL, places, radiusM),
          new PlaceTool(COLLECTION_POINT_TOOL, places, radiusM),
        ];
      },
    },
    RunChatTools,
    AnswerChatTurn,
    ChatRequestConsumer,
  ],
})
export class ChatWorkerModule {}
