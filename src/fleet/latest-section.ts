/** Where the coordinator publishes a section's tip after each merge (with `onConflict: resolve`). */
export function sectionRefOf(section: string): string {
  return `refs/adw/sections/${section}`;
}
