import { z } from 'zod';

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9_]+$/, 'may contain only letters, digits and underscores');

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');

const deviceName = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');
const deviceType = z.enum(['WEB', 'MOBILE', 'DESKTOP', 'TABLET', 'VOICE', 'TV', 'OTHER']);

export const registerInput = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').nullish(),
  deviceName: deviceName.nullish(),
  deviceType: deviceType.nullish(),
});

export const loginInput = z.object({
  login: z.string().trim().min(1, 'is required').max(254, 'must be at most 254 characters'),
  password: z.string().min(1, 'is required').max(256, 'must be at most 256 characters'),
  deviceName: deviceName.nullish(),
  deviceType: deviceType.nullish(),
});

export const profileInput = z.object({
  displayName: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
});

export const refreshTokenInput = z.string().min(20, 'is not a refresh token').max(200, 'is not a refresh token');

export const pairingInput = z.object({
  code: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase().replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{8}$/, 'must be the 8-character code shown on your other device')),
  deviceName: deviceName.nullish(),
  deviceType: deviceType.nullish(),
});

export type DeviceInput = { deviceName?: string | null; deviceType?: z.infer<typeof deviceType> | null };
