// Alliance partners: two merchants that are both APPROVED members of one alliance, now. A referral
// crosses only between partners, so suspension or leaving stops both new requests and the reads
// of grants obtained through the alliance, and reinstatement brings them back.
import { and, eq, exists, sql, type SQLWrapper } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/sqlite-core';
import { allianceMembers } from '../tables/index.js';

const one = alias(allianceMembers, 'partner_one');
const other = alias(allianceMembers, 'partner_other');
const qb = new QueryBuilder();

/** SQL condition on two merchant ids (columns of the outer query, or values). */
export const arePartners = (a: SQLWrapper | string, b: SQLWrapper | string) =>
  exists(
    qb
      .select({ one: sql`1` })
      .from(one)
      .innerJoin(other, and(eq(other.allianceId, one.allianceId), eq(other.merchantId, b), eq(other.status, 'APPROVED')))
      .where(and(eq(one.merchantId, a), eq(one.status, 'APPROVED'))),
  );
