-- Staff scope: the groups a staff account's grants reach. Grants name a group, region,
-- mall or merchant; members are shared across a group's malls, so a grant anywhere in
-- a group serves the group's members. Reads org tables until org exports this.

-- name: GroupsOfPlaces :many
-- The groups of the given regions, malls and merchants (group grants need no lookup).
SELECT r.group_id FROM org_regions r WHERE r.id = ANY(@region_ids::uuid[])
UNION
SELECT ml.group_id FROM malls ml WHERE ml.id = ANY(@mall_ids::uuid[])
UNION
SELECT ml.group_id FROM merchants m JOIN malls ml ON ml.id = m.mall_id WHERE m.id = ANY(@merchant_ids::uuid[]);
