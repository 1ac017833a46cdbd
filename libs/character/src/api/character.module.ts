import { Module } from '@nestjs/common';
import { CharacterController } from './character.controller.js';
import { CharacterDataModule } from '../character-data.module.js';

/** `/api/v1/character`: the public catalog. */
@Module({ imports: [CharacterDataModule], controllers: [CharacterController] })
export class CharacterModule {}
