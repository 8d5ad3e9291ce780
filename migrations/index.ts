import { EventStore1764000000000 } from './1764000000000-EventStore';
import { StreamCatalogue1764000000001 } from './1764000000001-StreamCatalogue';
import { Regions1764000000002 } from './1764000000002-Regions';
import { Registration1764000000003 } from './1764000000003-Registration';
import { Households1764000000004 } from './1764000000004-Households';
import { NotificationSending1764000000005 } from './1764000000005-NotificationSending';
import { StatusCheck1764000000006 } from './1764000000006-StatusCheck';
import { Audit1764000000007 } from './1764000000007-Audit';
import { WorkQueue1764000000008 } from './1764000000008-WorkQueue';
import { ProgramLists1764000000009 } from './1764000000009-ProgramLists';
import { CaptchaUnlogged1764000000010 } from './1764000000010-CaptchaUnlogged';
import { EventVisibility1764000000011 } from './1764000000011-EventVisibility';
import { EventMac1764000000012 } from './1764000000012-EventMac';
import { Erasure1764000000013 } from './1764000000013-Erasure';
import { SignIn1764000000016 } from './1764000000016-SignIn';

/** Every migration, in order. Listed explicitly so the app, the CLI and Jest load the same set. */
export const migrations = [
  EventStore1764000000000,
  StreamCatalogue1764000000001,
  Regions1764000000002,
  Registration1764000000003,
  Households1764000000004,
  NotificationSending1764000000005,
  StatusCheck1764000000006,
  Audit1764000000007,
  WorkQueue1764000000008,
  ProgramLists1764000000009,
  CaptchaUnlogged1764000000010,
  EventVisibility1764000000011,
  EventMac1764000000012,
  Erasure1764000000013,
  SignIn1764000000016,
];
