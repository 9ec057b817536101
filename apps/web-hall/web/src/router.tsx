// The history-API router is the UI kit's (shared with the ops console).
export { Link, Router, useRouter } from "@omnihall/ui";
