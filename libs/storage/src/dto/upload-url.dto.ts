import { ApiProperty } from '@nestjs/swagger';

export class UploadUrlDto {
  @ApiProperty({ example: 'scan/3f0c9e0b2a8d4a7c9d6e1f2a3b4c5d6e.jpg' })
  key: string;

  @ApiProperty({ description: 'PUT the bytes here, with required_headers and no credentials' })
  upload_url: string;

  @ApiProperty({
    description:
      'absolute URL the image is read from once the storage worker has checked it; send it as image_url',
  })
  cdn_url: string;

  @ApiProperty({ example: 900, description: 'seconds upload_url stays valid' })
  expires_in: number;

  @ApiProperty({ example: { 'Content-Type': 'image/jpeg' } })
  required_headers: Record<string, string>;
}
