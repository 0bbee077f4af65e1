import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { KeyView } from '../session';
import { type Dimension, type LatencyByDay, latencyPoints, series, type UsageRow } from './overview-data';

/** Distinguishable in both themes and for the common colour-vision deficiencies (Okabe–Ito). */
const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];

interface Props {
  rows: readonly UsageRow[];
  days: readonly string[];
  dimension: Dimension;
  keys: ReadonlyMap<string, KeyView>;
  groups: readonly string[];
  /** p50 and p95 per day of the latest requests (GET /v1/usage/latency). */
  latest: LatencyByDay | undefined;
}

function Chart({ title, description, children }: { title: string; description: string; children: React.ReactElement }) {
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong> <span className="subtle">{description}</span>
      </figcaption>
      <div className="chart-body">
        <ResponsiveContainer width="100%" height={220}>
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** The Overview's charts; the same figures are in the tables below them. */
export default function OverviewCharts({ rows, days, dimension, keys, groups, latest }: Props) {
  const data = series(rows, days, dimension, keys, groups);
  const latency = latencyPoints(latest, days);
  const axis = { tick: { fontSize: 12 }, stroke: 'currentColor' };
  const tooltip = { contentStyle: { background: 'var(--bg)', borderColor: 'var(--border)', color: 'var(--text)' } };
  return (
    <div className="chart-grid">
      <Chart title="Requests per day" description="stacked by group">
        <BarChart data={data} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="day" {...axis} />
          <YAxis allowDecimals={false} {...axis} />
          <Tooltip {...tooltip} />
          <Legend />
          {groups.map((group, index) => (
            <Bar isAnimationActive={false} key={group} dataKey={`requests:${group}`} name={group} stackId="requests" fill={palette[index % palette.length]} />
          ))}
        </BarChart>
      </Chart>
      <Chart title="Spend per day (USD)" description="stacked by group">
        <BarChart data={data} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="day" {...axis} />
          <YAxis {...axis} />
          <Tooltip {...tooltip} formatter={(value) => `$${Number(value).toFixed(6)}`} />
          <Legend />
          {groups.map((group, index) => (
            <Bar isAnimationActive={false} key={group} dataKey={`cost:${group}`} name={group} stackId="cost" fill={palette[index % palette.length]} />
          ))}
        </BarChart>
      </Chart>
      <Chart title="Tokens per day" description="input and output">
        <BarChart data={data} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="day" {...axis} />
          <YAxis {...axis} />
          <Tooltip {...tooltip} />
          <Legend />
          <Bar isAnimationActive={false} dataKey="inputTokens" name="input" stackId="tokens" fill={palette[0]} />
          <Bar isAnimationActive={false} dataKey="outputTokens" name="output" stackId="tokens" fill={palette[1]} />
        </BarChart>
      </Chart>
      <Chart title="Error rate and cache hits (%)" description="share of the day's requests">
        <LineChart data={data} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="day" {...axis} />
          <YAxis domain={[0, 100]} {...axis} />
          <Tooltip {...tooltip} formatter={(value) => `${Number(value).toFixed(1)}%`} />
          <Legend />
          <Line isAnimationActive={false} type="monotone" dataKey="errorRate" name="errors" stroke={palette[5]} strokeWidth={2} dot={false} />
          <Line isAnimationActive={false} type="monotone" dataKey="cacheHitRate" name="cache hits" stroke={palette[2]} strokeWidth={2} dot={false} strokeDasharray="6 3" />
        </LineChart>
      </Chart>
      <Chart title="Latency (ms)" description={`p50 and p95 per day of the latest ${(latest?.requests ?? 0).toLocaleString()} requests`}>
        <LineChart data={latency} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="day" {...axis} />
          <YAxis {...axis} />
          <Tooltip {...tooltip} formatter={(value) => `${Math.round(Number(value))} ms`} />
          <Legend />
          <Line isAnimationActive={false} type="monotone" dataKey="p50" name="p50" stroke={palette[0]} strokeWidth={2} connectNulls />
          <Line isAnimationActive={false} type="monotone" dataKey="p95" name="p95" stroke={palette[5]} strokeWidth={2} strokeDasharray="6 3" connectNulls />
        </LineChart>
      </Chart>
    </div>
  );
}
