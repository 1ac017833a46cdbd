import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '#platform';
import { CheckCharacterOwnership } from './check-character-ownership.js';
import { DeleteMyAccount } from './delete-my-account.js';
import { MyProfileDto } from '../dto/my-profile.dto.js';
import { CharacterOwnershipDto, OwnedCharacterDto } from '../dto/owned-character.dto.js';
import { UpdateMyProfileDto } from '../dto/update-my-profile.dto.js';
import { GetMyProfile } from './get-my-profile.js';
import { ListMyCharacters } from './list-my-characters.js';
import { UpdateMyProfile } from './update-my-profile.js';

@ApiTags('my')
@ApiBearerAuth()
@ApiCookieAuth('s_access')
@Controller('api/v1/users/me')
export class MyController {
  constructor(
    private readonly getProfile: GetMyProfile,
    private readonly updateProfile: UpdateMyProfile,
    private readonly deleteAccount: DeleteMyAccount,
    private readonly listCharacters: ListMyCharacters,
    private readonly checkOwnership: CheckCharacterOwnership,
  ) {}

  @Get()
  @ApiOkResponse({ type: MyProfileDto })
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<MyProfileDto> {
    return MyProfileDto.of(await this.getProfile.execute(caller));
  }

  @Patch()
  @ApiOkResponse({ type: MyProfileDto })
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: UpdateMyProfileDto,
  ): Promise<MyProfileDto> {
    const account = await this.updateProfile.execute(caller, {
      nickname: body.nickname,
      phoneNumber: body.phone_number,
    });
    return MyProfileDto.of(account);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@CurrentUser() caller: AuthenticatedUser): Promise<void> {
    await this.deleteAccount.execute(caller);
  }

  @Get('characters')
  @ApiOkResponse({ type: OwnedCharacterDto, isArray: true, description: 'a bare array' })
  async characters(@CurrentUser() caller: AuthenticatedUser): Promise<OwnedCharacterDto[]> {
    return (await this.listCharacters.execute(caller)).map((owned) => OwnedCharacterDto.of(owned));
  }

  @Get('characters/:name/ownership')
  @ApiOkResponse({ type: CharacterOwnershipDto })
  async ownership(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('name') name: string,
  ): Promise<CharacterOwnershipDto> {
    return { character_name: name, owned: await this.checkOwnership.execute(caller, name) };
  }
}
