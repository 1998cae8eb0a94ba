import { fold } from "../../indexer/index.ts";

/**
 * The phrases that hand a chat to staff, and those that give it back, as folded text (no diacritics,
 * lower case). Data beside the step that reads it.
 */
const ASK_FOR_PERSON_VI = [
  /\b(gap|gap go|noi chuyen voi|lien he|chat voi|ket noi( voi)?|cho (toi|minh|em) (gap|noi chuyen voi)) ?(mot )?(nhan vien|nguoi that|tu van vien|can bo|nguoi tu van|nguoi)\b/,
  /\bnhan vien (tu van|ho tro)\b/,
  /^(nhan vien|nguoi that)$/,
];
const ASK_FOR_PERSON_EN = [
  /\b(talk|speak|chat) (to|with) (a |an |some ?one |somebody )?(human|person|real person|agent|staff|someone|somebody|operator)\b/,
  /\b(human|real person|live agent|staff member) please\b/,
  /^(human|agent|operator)$/,
];
const PERSON_COMMAND = /^\/(human|nhanvien|staff)\b/;

const GIVE_BACK =
  /^(\/?(huy|cancel|bot|stop|thoi|ket thuc|end|quit|exit))( (handoff|nhan vien|yeu cau))?[.!]*$/;

/** True when the user asks to talk to a person ("gặp nhân viên", "talk to a human", "/human"). */
export function asksForPerson(text: string): boolean {
  return personRequest(text) !== undefined;
}

/** How the user asked for a person: in Vietnamese, in English, or with the /human command. */
export function personRequest(text: string): "vi" | "en" | "command" | undefined {
  const folded = foldText(text);
  if (PERSON_COMMAND.test(folded)) return "command";
  if (ASK_FOR_PERSON_EN.some((re) => re.test(folded))) return "en";
  if (ASK_FOR_PERSON_VI.some((re) => re.test(folded))) return "vi";
  return undefined;
}

/** True when the user gives the chat back to the bot ("hủy", "cancel", "bot"). */
export function givesBack(text: string): boolean {
  return GIVE_BACK.test(foldText(text));
}

function foldText(text: string): string {
  return fold(text.normalize("NFC").toLowerCase())
    .replace(/[^\p{L}\p{N}/ ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
