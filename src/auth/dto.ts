import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
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

  @ApiPropertyOptional({
    example: '32.04.10.2001',
    description: "Region code at the role's level ('' or absent for national roles)",
  })
  @IsOptional()
  @Matches(/^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?$/)
  regionCode?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: Role;

  @ApiPropertyOptional({ example: '32.04.10', description: "Region code at the role's level ('' for national roles)" })
  @IsOptional()
  @Matches(/^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?$/)
  regionCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName?: string;

  @ApiPropertyOptional({ description: 'false deactivates the account and ends its sessions at once' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 10, description: 'A temporary password the user is given (and should change)' })
  @IsString()
  @MaxLength(200)
  newPassword!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MaxLength(200)
  newPassword!: string;
}
