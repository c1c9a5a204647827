// The reads behind the alliance and merchant types that the generic flat reads (rows.ts) do not
// cover: a merchant's current privacy notice, the alliance directory's search, the count beside a
// membership list and an alliance's harvesting alerts. One statement per batch.
import { and, eq, getTableColumns, inArray, max, sql, type SQL } from 'drizzle-orm';
import { relationsFilterToSQL, type AnyTableFilter } from 'drizzle-orm/relations';
import type { Db } from '../db.js';
import { allianceMembers, privacyNotices } from '../tables/index.js';
import type { Row, Where } from './rows.js';

/** Each merchant's current privacy notice (its highest version), for a page of merchants in one statement. */
export async function latestPrivacyNotices(db: Db, merchantIds: readonly string[]): Promise<Map<string, Row<'privacyNotices'>>> {
  const latest = db
    .select({ merchantId: privacyNotices.merchantId, version: max(privacyNotices.version).as('latest_version') })
    .from(privacyNotices)
    .where(inArray(privacyNotices.merchantId, [...merchantIds]))
    .groupBy(privacyNotices.merchantId)
    .as('latest');
  const rows = await db
    .select(getTableColumns(privacyNotices))
    .from(privacyNotices)
    .innerJoin(latest, and(eq(latest.merchantId, privacyNotices.merchantId), eq(latest.version, privacyNotices.version)));
  return new Map(rows.map((row) => [row.merchantId, row]));
}

/**
 * The directory's search: the name or the city contains the text. LIKE, which both engines have
 * (instr() is SQLite's), with the user's wildcards escaped: none can widen the match. lower() on
 * both sides, as the engines' LIKE differ on case.
 */
export function allianceSearchWhere(search: string): Where<'alliances'> {
  const pattern = `%${search.replace(/[\\%_]/g, '\\$&')}%`;
  return {
    RAW: (a) => sql`(lower(${a.name}) like lower(${pattern}) escape '\\' or lower(${a.city}) like lower(${pattern}) escape '\\')`,
  };
}

/**
 * A membership list's filter (columns of alliance_members only, as the policies write it) as SQL,
 * for the count beside the list (countOf): the same rows the list pages through.
 */
export function membersFilterSql(where: Where<'allianceMembers'>): SQL | undefined {
  return relationsFilterToSQL(allianceMembers, where as AnyTableFilter);
}

/**
 * The disowned-records alerts about shops that are APPROVED members of any of `allianceIds`,
 * matching `where` (a visibility filter and whether cleared ones count), newest first, in one
 * statement. Which of the alliances each belongs to is the shop's approved memberships.
 */
export function disownedRecordsAlertsIn(db: Db, allianceIds: readonly string[], where: Where<'merchantAlerts'>): Promise<Row<'merchantAlerts'>[]> {
  return db.query.merchantAlerts.findMany({
    where: { AND: [{ kind: 'DISOWNED_RECORDS', shopMemberships: { allianceId: { in: [...allianceIds] } } }, where] },
    orderBy: { id: 'desc' },
  });
}
