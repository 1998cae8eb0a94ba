/** Talking to a person: the handoff desk, the phrases that ask for one, and the office hours. */
export {
  createHandoffDesk,
  PERSON_SUGGESTION,
  REPORT_SUGGESTION,
  type DeskTurn,
  type HandoffDesk,
  type HandoffDeskOptions,
  type Interception,
} from "./desk.ts";
export { asksForPerson, givesBack } from "./detect.ts";
export {
  DEFAULT_STAFF_HOURS,
  formatOpening,
  isStaffOpen,
  nextStaffOpening,
  parseStaffHours,
  type StaffHours,
} from "./hours.ts";
