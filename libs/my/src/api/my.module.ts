import { Module } from '@nestjs/common';
import { AuthDataModule } from '#auth';
import { CharacterDataModule } from '#character';
import { ScanHistoryModule } from '#scan';
import { StorageDataModule } from '#storage';
import { CheckCharacterOwnership } from './check-character-ownership.js';
import { DeleteMyAccount } from './delete-my-account.js';
import { GetMyProfile } from './get-my-profile.js';
import { ListMyCharacters } from './list-my-characters.js';
import { MyController } from './my.controller.js';
import { UpdateMyProfile } from './update-my-profile.js';

/** `/api/v1/users/me…`: profile, account deletion, owned characters, scan history (the scan lib's module). */
@Module({
  imports: [AuthDataModule, CharacterDataModule, StorageDataModule, ScanHistoryModule],
  controllers: [MyController],
  providers: [GetMyProfile, UpdateMyProfile, DeleteMyAccount, ListMyCharacters, CheckCharacterOwnership],
})
export class MyModule {}
