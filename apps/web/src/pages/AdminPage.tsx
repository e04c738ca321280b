import { useState, type ReactNode } from 'react';
import { Database } from 'lucide-react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import type { LeaderboardBy, Role } from '@tradewire/contract';
import { useAdminModels, useAdminStats, useAdminUsers, useLeaderboard, useSetRole } from '../api/admin';
import { useSession } from '../api/auth-store';
import { ApiError, errorMessage } from '../api/client';
import { AdminsOnly } from '../components/AdminsOnly';
import { ErrorState, PageHeader } from '../components/states';
import { Badge, LiveBadge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../components/ui/select';
import { Skeleton } from '../components/ui/skeleton';
import { Table, TBody, TD, TH, THead, TR } from '../components/ui/table';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../components/ui/tabs';
import { agentLabel } from '../lib/agents';
import { fmt, formatDateTime, formatPct, pnlClass } from '../lib/format';
import { RunLink } from '../components/RunLink';

const isForbidden = (e: unknown) => e instanceof ApiError && e.status === 403;

/** Loading, a 403 as "Admins only", another error, or the content. */
function Loaded<T>({ query, children }: { query: { data: T | undefined; error: unknown; isLoading: boolean }; children: (data: T) => ReactNode }) {
  if (isForbidden(query.error)) return <AdminsOnly />;
  if (query.error) return <ErrorState error={query.error} />;
  if (query.isLoading || query.data === undefined) return <Skeleton className="h-40 rounded-xl" />;
  return children(query.data);
}

function UsersTab({ selfId }: { selfId: number }) {
  const users = useAdminUsers();
  const setRole = useSetRole();
  const change = (id: number, role: Role) =>
    setRole.mutate({ id, role }, { onError: (e) => toast.error(`Could not change the role: ${errorMessage(e)}`) });
  return (
    <Loaded query={users}>
      {(items) => (
        <Table data-testid="admin-users" aria-label="Users">
          <THead>
            <TR>
              <TH>Email</TH>
              <TH>Name</TH>
              <TH>Role</TH>
              <TH className="text-right">Models</TH>
              <TH>Joined</TH>
            </TR>
          </THead>
          <TBody>
            {items.map((u) => (
              <TR key={u.id} data-testid={`admin-user-${u.id}`} data-email={u.email} data-role={u.role}>
                <TD label="Email">
                  <span>
                    {u.email}
                    {u.id === selfId && <span className="ml-2 text-xs text-subtle">(you)</span>}
                  </span>
                </TD>
                <TD label="Name">{u.display_name}</TD>
                <TD label="Role">
                  <Select value={u.role} onValueChange={(role) => change(u.id, role as Role)} disabled={setRole.isPending}>
                    <SelectTrigger className="h-8 w-28" aria-label={`Role of ${u.email}`} data-testid={`role-select-${u.id}`}>
                      <SelectValue />
                    </SelectTrigger>
                    <SelectContent>
                      <SelectItem value="user" data-testid="role-option-user">
                        Trader
                      </SelectItem>
                      <SelectItem value="admin" data-testid="role-option-admin">
                        Admin
                      </SelectItem>
                    </SelectContent>
                  </Select>
                </TD>
                <TD label="Models" className="text-right">
                  {fmt.count(u.model_count)}
                </TD>
                <TD label="Joined">{formatDateTime(u.created_at)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Loaded>
  );
}

function ModelsTab() {
  const models = useAdminModels();
  return (
    <Loaded query={models}>
      {(items) =>
        items.length === 0 ? (
          <p className="text-sm text-subtle">No models yet.</p>
        ) : (
          <Table data-testid="admin-models" aria-label="Models">
            <THead>
              <TR>
                <TH>Model</TH>
                <TH>Owner</TH>
                <TH>Agent</TH>
                <TH>Status</TH>
                <TH>Created</TH>
              </TR>
            </THead>
            <TBody>
              {items.map((m) => (
                <TR key={m.id} data-testid={`admin-model-${m.id}`}>
                  <TD label="Model">
                    <Link to={`/models/${m.id}`} className="tap inline-flex items-center underline-offset-4 hover:underline">
                      {m.name}
                    </Link>
                  </TD>
                  <TD label="Owner">{m.owner_email}</TD>
                  <TD label="Agent">{agentLabel(m.agent.kind)}</TD>
                  <TD label="Status">{m.status === 'running' ? <LiveBadge /> : <Badge>Idle</Badge>}</TD>
                  <TD label="Created">{formatDateTime(m.created_at)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )
      }
    </Loaded>
  );
}

function StatCard({ label, testId, value }: { label: string; testId: string; value: ReactNode }) {
  return (
    <Card className="min-w-0 p-4" data-testid={testId}>
      <p className="text-xs text-muted-foreground">{label}</p>
      <p className="mt-1 truncate text-lg font-semibold tabular sm:text-xl" data-testid={`${testId}-value`}>
        {value}
      </p>
    </Card>
  );
}

function StatsTab() {
  const stats = useAdminStats();
  return (
    <Loaded query={stats}>
      {(s) => (
        <div className="grid grid-cols-2 gap-3 lg:grid-cols-5" data-testid="admin-stats">
          <StatCard label="Users" testId="admin-stat-users" value={fmt.count(s.users)} />
          <StatCard label="Models" testId="admin-stat-models" value={fmt.count(s.models)} />
          <StatCard label="Running runs" testId="admin-stat-running" value={fmt.count(s.running_runs)} />
          <StatCard label="Events per second" testId="admin-stat-eps" value={fmt.decimal(s.events_per_s, 1)} />
          <StatCard label="Connected streams" testId="admin-stat-streams" value={fmt.count(s.connected_streams)} />
        </div>
      )}
    </Loaded>
  );
}

function LeaderboardTab() {
  const [by, setBy] = useState<LeaderboardBy>('return');
  const board = useLeaderboard(by);
  return (
    <div className="space-y-3">
      <div className="inline-flex gap-1 rounded-lg border border-border p-1" role="group" aria-label="Rank by">
        {(
          [
            ['return', 'By return'],
            ['sharpe', 'By Sharpe'],
          ] as const
        ).map(([value, label]) => (
          <Button key={value} size="sm" variant={by === value ? 'outline' : 'ghost'} aria-pressed={by === value} onClick={() => setBy(value)} data-testid={`leaderboard-by-${value}`}>
            {label}
          </Button>
        ))}
      </div>
      <Loaded query={board}>
        {(items) =>
          items.length === 0 ? (
            <p className="text-sm text-subtle" data-testid="leaderboard-empty">
              No completed runs yet.
            </p>
          ) : (
            <Table data-testid="admin-leaderboard" aria-label="Leaderboard">
              <THead>
                <TR>
                  <TH>#</TH>
                  <TH>Model</TH>
                  <TH>Owner</TH>
                  <TH>Run</TH>
                  <TH className="text-right">Return</TH>
                  <TH className="text-right">Sharpe</TH>
                  <TH className="text-right">Max drawdown</TH>
                  <TH className="text-right">Trades</TH>
                </TR>
              </THead>
              <TBody>
                {items.map((e) => (
                  <TR key={e.model_id} data-testid={`leaderboard-row-${e.model_id}`}>
                    <TD label="Rank">{e.rank}</TD>
                    <TD label="Model">
                      <Link to={`/models/${e.model_id}`} className="tap inline-flex items-center underline-offset-4 hover:underline">
                        {e.model_name}
                      </Link>
                    </TD>
                    <TD label="Owner">{e.owner}</TD>
                    <TD label="Run">
                      <RunLink modelId={e.model_id} runId={e.run_id} />
                    </TD>
                    <TD label="Return" className={`text-right ${pnlClass(e.return_pct)}`}>
                      {formatPct(e.return_pct)}
                    </TD>
                    <TD label="Sharpe" className="text-right">
                      {e.sharpe === null ? '—' : fmt.decimal(e.sharpe)}
                    </TD>
                    <TD label="Max drawdown" className="text-right">
                      {formatPct(-e.max_drawdown_pct)}
                    </TD>
                    <TD label="Trades" className="text-right">
                      {fmt.count(e.trade_count)}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )
        }
      </Loaded>
    </div>
  );
}

/** Users and roles, every model, platform stats and the global leaderboard. */
export function AdminPage() {
  const session = useSession();
  if (session?.user.role !== 'admin') return <AdminsOnly />;
  return (
    <div data-testid="admin-page">
      <PageHeader
        title="Admin"
        subtitle="Everyone's accounts, models and results"
        actions={
          <Button asChild variant="outline">
            <Link to="/admin/market" data-testid="market-data-link">
              <Database />
              Market data
            </Link>
          </Button>
        }
      />
      <Tabs defaultValue="users">
        <TabsList>
          <TabsTrigger value="users" data-testid="admin-tab-users">
            Users
          </TabsTrigger>
          <TabsTrigger value="models" data-testid="admin-tab-models">
            Models
          </TabsTrigger>
          <TabsTrigger value="stats" data-testid="admin-tab-stats">
            Stats
          </TabsTrigger>
          <TabsTrigger value="leaderboard" data-testid="admin-tab-leaderboard">
            Leaderboard
          </TabsTrigger>
        </TabsList>
        <TabsContent value="users">
          <UsersTab selfId={session.user.id} />
        </TabsContent>
        <TabsContent value="models">
          <ModelsTab />
        </TabsContent>
        <TabsContent value="stats">
          <StatsTab />
        </TabsContent>
        <TabsContent value="leaderboard">
          <LeaderboardTab />
        </TabsContent>
      </Tabs>
    </div>
  );
}
