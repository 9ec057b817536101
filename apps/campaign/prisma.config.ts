import { servicePrismaConfig } from "@omnihall/db/prisma-config";

export default servicePrismaConfig(import.meta.url);
