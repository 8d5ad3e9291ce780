import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role, STAFF_ROLES } from './roles';

export class LoginDto {
  @ApiProperty({ example: 'operator.desa' })
  @IsString()
  @MaxLength(100)
  username!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  password!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'siti.operator' })
  @Matches(/^[a-z0-9._-]{3,40}$/, { message: 'username: 3–40 lower-case letters, digits, . _ -' })
  username!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName!: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MaxLength(200)
  password!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role!: Role;

  @ApiProperty({ example: '32.04.10.2001', description: "Region code at the role's level ('' for national roles)" })
  @Matches(/^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?$/)
  regionCode!: string;
}
