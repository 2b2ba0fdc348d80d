import type { MessageKey } from "@/lib/i18n";

/** The side menu. `roles`: shown only to people holding one of them (absent — to everyone). */
export interface NavItem {
  to: string;
  label: MessageKey;
  roles?: readonly string[];
}

const TEACHING = ["TEACHER", "TUTOR", "ADMIN", "DEPUTY", "DIRECTOR"];
const ADMINISTRATION = ["ADMIN", "DEPUTY", "DIRECTOR"];

export const NAV: NavItem[] = [
  { to: "/", label: "nav.today", roles: TEACHING },
  { to: "/journal", label: "nav.journal", roles: TEACHING },
  { to: "/class", label: "nav.class", roles: TEACHING },
  { to: "/control", label: "nav.control", roles: ADMINISTRATION },
  { to: "/reports", label: "nav.reports", roles: ADMINISTRATION },
];
