// What the caller page tells the caller, by the code the server sent (wire.js).

import { ChangeReasons, ErrorCodes, ResourceReasons, ReturnRoutes } from '../app/wire.js';

/** Resources shown while waiting (QueueStatus.resources, docs/protocol.md §8). */
/** @type {Record<string, [string, string]>} a ResourceReasons code -> title and text */
export const REASONS = {
  [ResourceReasons.Crisis]: ['You do not have to wait', 'These lines answer right now. You can keep your place here at the same time.'],
  [ResourceReasons.OutsideHours]: ['Other help, open now', 'Peer supporters are outside their usual hours right now. You can keep your place in line; these are open now.'],
  [ResourceReasons.NobodyOnShift]: ['Other help, open now', 'No peer supporter is on shift at this moment. You can keep your place in line; these are open now.'],
  [ResourceReasons.LongWait]: ['While you wait', 'This is taking longer than we hoped. You keep your place in line; these are open now if you would rather not wait.'],
};

/** @type {Record<string, string>} a ReturnRoutes code -> what the caller is told */
export const ROUTES = {
  [ReturnRoutes.SameSupporter]: 'The supporter you talked with before is on shift and is being asked first.',
  [ReturnRoutes.SupporterAway]: 'The supporter you talked with before is not on shift right now, so you are in the normal line.',
  [ReturnRoutes.CodeNotValid]: 'That return code is not valid any more (used up or expired), so you are in the normal line.',
};

/** @type {Record<string, string>} a refused request's code (ErrorCodes) -> what the caller is told */
export const REFUSALS = {
  [ErrorCodes.QueueFull]: 'The line is very busy right now and cannot take more requests. Please use Help now, or try again a little later.',
  [ErrorCodes.SourceLimit]: 'The line is busy from the network you are on right now. Please try again in a few minutes. '
    + 'If you need someone now, the lines below answer right away, and Help now lists them all.',
};

/** @type {Record<string, string>} why a chat ended (a ChangeReasons code, or NotFound) -> what the caller is told */
export const ENDINGS = {
  [ChangeReasons.ClosedBySupporter]: 'Your supporter ended the chat.',
  [ChangeReasons.ClosedByCaller]: 'You ended the chat.',
  [ChangeReasons.Withdrawn]: 'You left the line.',
  [ChangeReasons.Abandoned]: 'The request ended because the page was away too long.',
  [ErrorCodes.NotFound]: 'This chat is no longer available.',
};
