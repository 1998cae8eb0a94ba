import { TYPE_FOLDERS, type EntryType } from "./content/schema.ts";

/** The portal page of an entry ("/attractions/chua-tay-an"), as the portal's routes serve it. */
export function portalPath(type: EntryType, id: string): string {
  return `/${TYPE_FOLDERS[type]}/${id}`;
}
