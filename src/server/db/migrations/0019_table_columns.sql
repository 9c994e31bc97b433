-- The columns each account has hidden in each of the UI's tables ("column choice remembered", UX.md):
-- one row per account and table, written only by the account itself (PUT /me/table-columns/{table}).
CREATE TABLE "account_table_columns" (
	"account_id" uuid NOT NULL REFERENCES "accounts"("id") ON DELETE CASCADE,
	"table_id" text NOT NULL,
	"hidden" text[] NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "account_table_columns_pkey" PRIMARY KEY ("account_id", "table_id"),
	CONSTRAINT "account_table_columns_hidden_size" CHECK (cardinality("hidden") <= 40)
);
