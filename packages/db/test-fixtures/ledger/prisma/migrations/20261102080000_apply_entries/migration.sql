-- Hand-written: what Prisma's schema cannot say. A zero entry is meaningless, and each entry moves its account's
-- balance in the same transaction that writes it. The function body is $$-quoted and full of semicolons.
ALTER TABLE "entries" ADD CONSTRAINT "entries_amount_fen_nonzero" CHECK ("amount_fen" <> 0);

CREATE FUNCTION "entries_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "accounts" SET "balance_fen" = "balance_fen" + NEW."amount_fen" WHERE "id" = NEW."account_id";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'account % does not exist; entry %', NEW."account_id", NEW."id";
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "entries_apply" AFTER INSERT ON "entries" FOR EACH ROW EXECUTE FUNCTION "entries_apply"();
