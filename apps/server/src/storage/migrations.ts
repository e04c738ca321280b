import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Versioned migrations, written once for both dialects; only the id column differs. */
function migrations(dialect: Dialect): Record<string, Migration> {
  const id = (db: Kysely<unknown>, table: string) =>
    dialect === 'sqlite'
      ? db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey());
  const real = dialect === 'sqlite' ? 'real' : 'double precision';

  return {
    '001_accounts_and_models': {
      async up(db) {
        await id(db, 'users')
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('revoked_tokens')
          .addColumn('jti', 'text', (c) => c.primaryKey())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .execute();
        await id(db, 'models')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('name_key', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('agent_kind', 'text', (c) => c.notNull())
          .addColumn('agent_params', 'text', (c) => c.notNull())
          .addColumn('agent_secret', 'text')
          .addColumn('initial_cash', real, (c) => c.notNull())
          .addColumn('allowed_symbols', 'text', (c) => c.notNull())
          .addColumn('risk', 'text', (c) => c.notNull())
          .addColumn('commission_bps', real, (c) => c.notNull())
          .addColumn('slippage_bps', real, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('models_user_name', ['user_id', 'name_key'])
          .execute();
      },
    },
    '002_runs_and_market': {
      async up(db) {
        await id(db, 'runs')
          .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('cascade'))
          .addColumn('run_number', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('start_date', 'text', (c) => c.notNull())
          .addColumn('end_date', 'text', (c) => c.notNull())
          .addColumn('pace_ms', 'integer', (c) => c.notNull())
          .addColumn('config', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('ended_at', 'text')
          .addColumn('error', 'text')
          .addColumn('metrics', 'text')
          .addColumn('usage', 'text')
          .addColumn('cash', real, (c) => c.notNull())
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('total_steps', 'integer', (c) => c.notNull())
          .addColumn('last_date', 'text')
          .addColumn('trade_count', 'integer', (c) => c.notNull())
          .addUniqueConstraint('runs_model_number', ['model_id', 'run_number'])
          .execute();
        await db.schema.createIndex('runs_status').on('runs').column('status').execute();
        await db.schema
          .createTable('positions')
          .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('quantity', real, (c) => c.notNull())
          .addColumn('avg_cost', real, (c) => c.notNull())
          .addColumn('last_price', real, (c) => c.notNull())
          .addPrimaryKeyConstraint('positions_pk', ['run_id', 'symbol'])
          .execute();
        await id(db, 'trades')
          .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
          .addColumn('model_id', 'integer', (c) => c.notNull())
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('symbol', 'text')
          .addColumn('quantity', real, (c) => c.notNull())
          .addColumn('price', real, (c) => c.notNull())
          .addColumn('amount', real, (c) => c.notNull())
          .addColumn('commission', real, (c) => c.notNull())
          .addColumn('cash_after', real, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('trades_model').on('trades').columns(['model_id', 'id']).execute();
        await db.schema.createIndex('trades_run').on('trades').columns(['run_id', 'id']).execute();
        await db.schema
          .createTable('equity_points')
          .addColumn('run_id', 'integer', (c) => c.notNull().references('runs.id').onDelete('cascade'))
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('equity', real, (c) => c.notNull())
          .addColumn('cash', real, (c) => c.notNull())
          .addPrimaryKeyConstraint('equity_points_pk', ['run_id', 'step'])
          .execute();
        await id(db, 'logs')
          .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('cascade'))
          .addColumn('run_id', 'integer')
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('logs_model').on('logs').columns(['model_id', 'id']).execute();
        await db.schema
          .createTable('run_events')
          .addColumn('id', 'bigint', (c) => c.primaryKey())
          .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('cascade'))
          .addColumn('run_id', 'integer')
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('timestamp', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('run_events_run').on('run_events').columns(['run_id', 'id']).execute();
        await db.schema.createIndex('run_events_model').on('run_events').columns(['model_id', 'id']).execute();
        await db.schema
          .createTable('market_symbols')
          .addColumn('symbol', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('sector', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('market_bars')
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('open', real, (c) => c.notNull())
          .addColumn('high', real, (c) => c.notNull())
          .addColumn('low', real, (c) => c.notNull())
          .addColumn('close', real, (c) => c.notNull())
          .addColumn('volume', real, (c) => c.notNull())
          .addPrimaryKeyConstraint('market_bars_pk', ['symbol', 'date'])
          .execute();
      },
    },
    '003_market_datasets': {
      async up(db) {
        await db.schema
          .alterTable('models')
          .addColumn('dataset', 'text', (c) => c.notNull().defaultTo('simulated'))
          .execute();
        await db.schema
          .createTable('market_datasets')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('provider', 'text')
          .addColumn('adjusted', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // Symbols and bars gain a data set in their keys. SQLite cannot change a primary key, so
        // both tables are rebuilt; what was imported before becomes the data set `import`.
        await db.schema.alterTable('market_symbols').renameTo('market_symbols_v2').execute();
        await db.schema.alterTable('market_bars').renameTo('market_bars_v2').execute();
        await db.schema
          .createTable('market_symbols')
          .addColumn('dataset', 'text', (c) => c.notNull().references('market_datasets.name').onDelete('cascade'))
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('sector', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('first_date', 'text')
          .addColumn('last_date', 'text')
          .addColumn('bar_count', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('market_symbols_key', ['dataset', 'symbol'])
          .execute();
        await db.schema
          .createTable('market_bars')
          .addColumn('dataset', 'text', (c) => c.notNull())
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('open', real, (c) => c.notNull())
          .addColumn('high', real, (c) => c.notNull())
          .addColumn('low', real, (c) => c.notNull())
          .addColumn('close', real, (c) => c.notNull())
          .addColumn('volume', real, (c) => c.notNull())
          .addPrimaryKeyConstraint('market_bars_key', ['dataset', 'symbol', 'date'])
          .execute();
        const now = new Date().toISOString();
        await sql`insert into market_datasets (name, source, provider, adjusted, created_at, updated_at)
          select 'import', 'import', null, 0, ${now}, ${now} where exists (select 1 from market_symbols_v2)`.execute(db);
        await sql`insert into market_symbols (dataset, symbol, name, sector, source, first_date, last_date, bar_count)
          select 'import', s.symbol, s.name, s.sector, s.source,
            (select min(b.date) from market_bars_v2 b where b.symbol = s.symbol),
            (select max(b.date) from market_bars_v2 b where b.symbol = s.symbol),
            (select count(*) from market_bars_v2 b where b.symbol = s.symbol)
          from market_symbols_v2 s`.execute(db);
        await sql`insert into market_bars (dataset, symbol, date, open, high, low, close, volume)
          select 'import', symbol, date, open, high, low, close, volume from market_bars_v2`.execute(db);
        await db.schema.dropTable('market_symbols_v2').execute();
        await db.schema.dropTable('market_bars_v2').execute();
      },
    },
    '004_user_settings': {
      async up(db) {
        // One JSON document per user; a user without a row has the defaults.
        await db.schema
          .createTable('user_settings')
          .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '005_symbol_splits': {
      async up(db) {
        // JSON list of the splits a symbol's bars were back-adjusted for on import; null: none.
        await db.schema.alterTable('market_symbols').addColumn('split_adjustments', 'text').execute();
      },
    },
    '006_arenas': {
      async up(db) {
        // An arena's runs as a JSON list of run ids: a deleted run simply drops out of it.
        await id(db, 'arenas')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('start_date', 'text', (c) => c.notNull())
          .addColumn('end_date', 'text', (c) => c.notNull())
          .addColumn('pace_ms', 'integer', (c) => c.notNull())
          .addColumn('run_ids', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('arenas_by_user').on('arenas').columns(['user_id', 'id']).execute();
      },
    },
    '007_intraday_live': {
      async up(db) {
        // Where a live run is between bars: the last bar it acted on and the orders it placed for
        // the next bar's open, written in the transaction of the step that placed them.
        await db.schema
          .createTable('live_runs')
          .addColumn('run_id', 'integer', (c) => c.primaryKey().references('runs.id').onDelete('cascade'))
          .addColumn('last_bar', 'text', (c) => c.notNull())
          .addColumn('pending', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // Intraday bars, one packed and compressed row per symbol, resolution and trading day.
        await db.schema
          .createTable('market_intraday')
          .addColumn('dataset', 'text', (c) => c.notNull().references('market_datasets.name').onDelete('cascade'))
          .addColumn('symbol', 'text', (c) => c.notNull())
          .addColumn('timeframe', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('bar_count', 'integer', (c) => c.notNull())
          .addColumn('bars', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
          .addPrimaryKeyConstraint('market_intraday_key', ['dataset', 'symbol', 'timeframe', 'day'])
          .execute();
      },
    },
    '008_assistant': {
      async up(db) {
        // The run assistant: each user's endpoint (key sealed), conversations and their messages.
        await db.schema
          .createTable('assistant_endpoints')
          .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('base_url', 'text', (c) => c.notNull())
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('api_key_secret', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await id(db, 'assistant_conversations')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('model_id', 'integer', (c) => c.notNull().references('models.id').onDelete('cascade'))
          .addColumn('run_id', 'integer', (c) => c.references('runs.id').onDelete('cascade'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('assistant_conversations_by_user').on('assistant_conversations').columns(['user_id', 'id']).execute();
        await id(db, 'assistant_messages')
          .addColumn('conversation_id', 'integer', (c) => c.notNull().references('assistant_conversations.id').onDelete('cascade'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('citations', 'text', (c) => c.notNull())
          .addColumn('tools_used', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('prompt_tokens', 'integer', (c) => c.notNull())
          .addColumn('completion_tokens', 'integer', (c) => c.notNull())
          .addColumn('latency_ms', 'integer')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('assistant_messages_by_conversation').on('assistant_messages').columns(['conversation_id', 'id']).execute();
        // Tokens per user and UTC day, apart from the messages: deleting a conversation does not reset the cap.
        await db.schema
          .createTable('assistant_usage')
          .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('tokens', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('assistant_usage_pk', ['user_id', 'day'])
          .execute();
      },
    },
  };
}

/** Migrates to the latest version, or up to and including `target` (tests of a migration). */
export async function migrate(db: Kysely<unknown>, dialect: Dialect, target?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
