-- RenameIndex
ALTER INDEX "terminal_province_code_id_idx" RENAME TO "terminal_province_code_terminal_id_idx";
