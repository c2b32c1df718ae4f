-- Synthetic catalog generator for benchmarks and load tests (dev profile only; repeatable
-- migration, re-run by Flyway whenever this file changes).
--
--   SELECT demo_generate_products(10000);   -- inserts 10 000 more products, returns 10000
--
-- Each call adds n products with unique slugs (synth-<seq>-<name>), SKU codes
-- (SYN-<seq>-<k>) and EAN-13 barcodes (618 9 <seq, 7 digits> <k> <check digit>; the demo
-- catalog uses 618 0427..., so they never collide). Names are built from French grocery
-- words with their accents ("Riz parfumé", "Épices pour poisson braisé", "Poisson
-- capitaine"...), so text searches find some of them. Products go to the active leaf
-- category matching their kind when it exists (demo catalog slugs), else to a random
-- active leaf; with no category at all, a 'divers' category is created. Nothing else
-- depends on the demo catalog. Everything is set-based: one INSERT ... SELECT over
-- generate_series writes products (with from_price / in_stock precomputed the way the sku
-- trigger computes them), SKUs and images.

CREATE SEQUENCE IF NOT EXISTS demo_synth_seq;

CREATE OR REPLACE FUNCTION demo_generate_products(n integer) RETURNS integer
    LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    leaf_ids  bigint[];
    max_seq   bigint;
    inserted  integer;
BEGIN
    IF n IS NULL OR n <= 0 THEN
        RETURN 0;
    END IF;

    -- Leaf categories: active ones, else any, else a fresh 'divers'.
    SELECT array_agg(c.id ORDER BY c.id) INTO leaf_ids
      FROM category c
     WHERE c.active AND NOT EXISTS (SELECT 1 FROM category k WHERE k.parent_id = c.id);
    IF leaf_ids IS NULL THEN
        SELECT array_agg(c.id ORDER BY c.id) INTO leaf_ids
          FROM category c
         WHERE NOT EXISTS (SELECT 1 FROM category k WHERE k.parent_id = c.id);
    END IF;
    IF leaf_ids IS NULL THEN
        INSERT INTO category (slug, name, position) VALUES ('divers', 'Divers', 99)
        ON CONFLICT (slug) DO NOTHING;
        SELECT array_agg(id) INTO leaf_ids FROM category WHERE slug = 'divers';
    END IF;

    -- Keep the sequence ahead of synthetic rows already present (e.g. after a restore).
    SELECT max(split_part(slug, '-', 2)::bigint) INTO max_seq
      FROM product WHERE slug ~ '^synth-[0-9]+-';
    IF max_seq IS NOT NULL AND max_seq >= (SELECT last_value FROM demo_synth_seq) THEN
        PERFORM setval('demo_synth_seq', max_seq);
    END IF;
    IF (SELECT last_value FROM demo_synth_seq) + n > 9999999 THEN
        RAISE EXCEPTION 'demo_generate_products: barcode space exhausted (7-digit sequence)';
    END IF;

    WITH
    -- Kinds of products: French base name, preferred category slug, sale type, then
    -- UNIT: pack format and price range of the smallest pack;
    -- WEIGHT: price per kg range, ordering step and average piece weight in grams.
    base (name, cat_slug, sale_type, fmt, lo, hi, step, avg_piece) AS (VALUES
        ('Riz parfumé',                  'riz',                  'UNIT',   'kg',  800, 1600, NULL::int, NULL::int),
        ('Riz brisé',                    'riz',                  'UNIT',   'kg',  500,  900, NULL, NULL),
        ('Riz long grain étuvé',         'riz',                  'UNIT',   'kg',  700, 1300, NULL, NULL),
        ('Riz local',                    'riz',                  'UNIT',   'kg',  650, 1100, NULL, NULL),
        ('Huile de palme rouge',         'huiles',               'UNIT',   'l',   900, 1600, NULL, NULL),
        ('Huile d''arachide',            'huiles',               'UNIT',   'l',  1200, 2000, NULL, NULL),
        ('Huile de coco',                'huiles',               'UNIT',   'l',  2000, 4000, NULL, NULL),
        ('Mélange d''épices',            'epices',               'UNIT',   'g',   300, 1500, NULL, NULL),
        ('Épices pour poisson braisé',   'epices',               'UNIT',   'g',   400, 1200, NULL, NULL),
        ('Épices pour choukouya',        'epices',               'UNIT',   'g',   400, 1200, NULL, NULL),
        ('Poivre blanc moulu',           'epices',               'UNIT',   'g',   600, 1400, NULL, NULL),
        ('Curcuma en poudre',            'epices',               'UNIT',   'g',   500, 1000, NULL, NULL),
        ('Clous de girofle',             'epices',               'UNIT',   'g',   700, 1500, NULL, NULL),
        ('Piment en poudre',             'epices',               'UNIT',   'g',   400,  900, NULL, NULL),
        ('Bouillon cube',                'epices',               'UNIT',   'pc',  100,  250, NULL, NULL),
        ('Sardines à l''huile',          'conserves',            'UNIT',   'pc',  350,  800, NULL, NULL),
        ('Concentré de tomate',          'conserves',            'UNIT',   'pc',  150,  450, NULL, NULL),
        ('Haricots rouges',              'conserves',            'UNIT',   'pc',  500, 1000, NULL, NULL),
        ('Maïs doux',                    'conserves',            'UNIT',   'pc',  500,  900, NULL, NULL),
        ('Pâte d''arachide',             'conserves',            'UNIT',   'g',   400, 1200, NULL, NULL),
        ('Farine de maïs',               'farines-semoules',     'UNIT',   'kg',  500,  900, NULL, NULL),
        ('Farine de manioc',             'farines-semoules',     'UNIT',   'kg',  600, 1000, NULL, NULL),
        ('Semoule de blé',               'farines-semoules',     'UNIT',   'kg',  700, 1200, NULL, NULL),
        ('Farine de mil',                'farines-semoules',     'UNIT',   'kg',  800, 1500, NULL, NULL),
        ('Sucre roux',                   'sucre-lait-cafe',      'UNIT',   'kg',  800, 1300, NULL, NULL),
        ('Lait en poudre',               'sucre-lait-cafe',      'UNIT',   'g',   900, 2500, NULL, NULL),
        ('Café moulu',                   'sucre-lait-cafe',      'UNIT',   'g',   700, 2000, NULL, NULL),
        ('Thé vert à la menthe',         'sucre-lait-cafe',      'UNIT',   'g',   300,  900, NULL, NULL),
        ('Chocolat en poudre',           'sucre-lait-cafe',      'UNIT',   'g',   700, 1800, NULL, NULL),
        ('Miel de forêt',                'sucre-lait-cafe',      'UNIT',   'g',  1200, 3000, NULL, NULL),
        ('Poisson capitaine',            'poissons',             'WEIGHT', NULL, 3500, 5000,  250, 1200),
        ('Capitaine fumé',               'poissons',             'WEIGHT', NULL, 4000, 6500,  250,  800),
        ('Thiof',                        'poissons',             'WEIGHT', NULL, 4000, 5500,  250, 1500),
        ('Carpe rouge',                  'poissons',             'WEIGHT', NULL, 2500, 3500,  250,  600),
        ('Mâchoiron',                    'poissons',             'WEIGHT', NULL, 3000, 4000,  250, 1000),
        ('Sole',                         'poissons',             'WEIGHT', NULL, 4500, 7000,  250,  400),
        ('Crabes de lagune',             'poissons',             'WEIGHT', NULL, 3000, 5000,  250,  200),
        ('Viande de bœuf',               'viandes',              'WEIGHT', NULL, 3000, 4000,  250, NULL),
        ('Viande de mouton',             'viandes',              'WEIGHT', NULL, 4000, 5000,  250, NULL),
        ('Viande de chèvre',             'viandes',              'WEIGHT', NULL, 4000, 5500,  250, NULL),
        ('Poulet bicyclette',            'viandes',              'WEIGHT', NULL, 2500, 3500,  500, 1300),
        ('Pintade',                      'viandes',              'WEIGHT', NULL, 3000, 4500,  500, 1200),
        ('Foie de bœuf',                 'viandes',              'WEIGHT', NULL, 2500, 3500,  250, NULL),
        ('Tomates fraîches',             'legumes',              'WEIGHT', NULL,  500, 1200,  250,  100),
        ('Gombo',                        'legumes',              'WEIGHT', NULL,  800, 1500,  100,   15),
        ('Aubergines',                   'legumes',              'WEIGHT', NULL,  700, 1300,  250,   60),
        ('Piment frais',                 'legumes',              'WEIGHT', NULL, 1500, 2500,  100,    5),
        ('Oignons',                      'legumes',              'WEIGHT', NULL,  500, 1000,  500,  120),
        ('Poivrons',                     'legumes',              'WEIGHT', NULL, 1200, 2000,  250,  150),
        ('Épinards',                     'legumes',              'WEIGHT', NULL, 1000, 1800,  100, NULL),
        ('Feuilles de patate',           'legumes',              'WEIGHT', NULL,  600, 1200,  100, NULL),
        ('Mangues',                      'fruits',               'WEIGHT', NULL,  700, 1500,  500,  450),
        ('Bananes douces',               'fruits',               'WEIGHT', NULL,  500, 1000,  500,  150),
        ('Avocats',                      'fruits',               'WEIGHT', NULL,  900, 1800,  250,  250),
        ('Pastèque',                     'fruits',               'WEIGHT', NULL,  300,  700,  500, 4000),
        ('Ananas',                       'fruits',               'UNIT',   'pc',  400,  900, NULL, NULL),
        ('Attiéké',                      'tubercules',           'UNIT',   'pc',  200,  600, NULL, NULL),
        ('Igname',                       'tubercules',           'WEIGHT', NULL,  600, 1200,  500, 2500),
        ('Manioc',                       'tubercules',           'WEIGHT', NULL,  300,  600,  500,  800),
        ('Banane plantain',              'tubercules',           'WEIGHT', NULL,  400,  900,  500,  350),
        ('Patate douce',                 'tubercules',           'WEIGHT', NULL,  400,  800,  500,  300),
        ('Eau minérale',                 'eaux',                 'UNIT',   'pc',  150,  400, NULL, NULL),
        ('Jus de bissap',                'jus-boissons-locales', 'UNIT',   'l',   700, 1200, NULL, NULL),
        ('Jus de gingembre',             'jus-boissons-locales', 'UNIT',   'l',   700, 1200, NULL, NULL),
        ('Jus de bouye (baobab)',        'jus-boissons-locales', 'UNIT',   'l',   800, 1500, NULL, NULL),
        ('Jus de mangue',                'jus-boissons-locales', 'UNIT',   'l',   900, 1600, NULL, NULL),
        ('Lessive en poudre',            'menage',               'UNIT',   'kg', 1200, 2000, NULL, NULL),
        ('Savon de ménage',              'menage',               'UNIT',   'pc',  200,  500, NULL, NULL),
        ('Eau de Javel',                 'menage',               'UNIT',   'l',   400,  800, NULL, NULL),
        ('Savon de toilette',            'hygiene',              'UNIT',   'pc',  300,  900, NULL, NULL),
        ('Shampooing au karité',         'hygiene',              'UNIT',   'pc', 1000, 3000, NULL, NULL),
        ('Dentifrice',                   'hygiene',              'UNIT',   'pc',  500, 1500, NULL, NULL)
    ),
    base_n AS (
        SELECT row_number() OVER () AS i, b.*, c.id AS cat_id
          FROM base b
          LEFT JOIN category c ON c.slug = b.cat_slug AND c.id = ANY (leaf_ids)
    ),
    -- Pack formats of UNIT products: SKU k of a product uses format row k (1..3).
    fmt (fmt, k, label, mult) AS (VALUES
        ('kg', 1, 'Sachet 1 kg',         1.0), ('kg', 2, 'Sac 5 kg',         4.7), ('kg', 3, 'Sac 25 kg',         22.0),
        ('l',  1, 'Bouteille 1 L',       1.0), ('l',  2, 'Bidon 5 L',        4.6), ('l',  3, 'Bidon 20 L',        17.5),
        ('g',  1, 'Sachet 100 g',        1.0), ('g',  2, 'Sachet 250 g',     2.4), ('g',  3, 'Sachet 500 g',       4.6),
        ('pc', 1, 'À l''unité',          1.0), ('pc', 2, 'Lot de 6',         5.7), ('pc', 3, 'Carton de 24',      21.5)
    ),
    qualifier (q) AS (SELECT unnest(ARRAY[
        'premium', 'de Bouaké', 'de Korhogo', 'd''Abengourou', 'de San-Pédro', 'de Man', 'de Daloa',
        'du terroir', 'sélection du chef', 'qualité supérieure', 'extra', 'maison', 'économique',
        'de Grand-Bassam', 'de Yamoussoukro', 'spécial fête', 'de la lagune', 'nouvelle récolte',
        'de Dabou', 'd''Agboville', 'de Bondoukou', 'du marché d''Adjamé'])),
    brand (b) AS (SELECT unnest(ARRAY[
        'Akwaba', 'Sika', 'Baoulé', 'Éburnie', 'Kédjénou', 'Lagune', 'Plateau', 'Cocody', 'Yopougon',
        'Treichville', 'Marcory', 'Abobo', 'Assinie', 'Bété', 'Sénoufo', 'Gouro', 'Dioula', 'Yacouba'])),
    qualifier_n AS (SELECT row_number() OVER () AS i, q FROM qualifier),
    brand_n     AS (SELECT row_number() OVER () AS i, b FROM brand),
    phrase_n (i, p) AS (VALUES
        (1, 'Idéal pour la cuisine ivoirienne de tous les jours.'),
        (2, 'Sélectionné avec soin par nos équipes à Abidjan.'),
        (3, 'Un classique des marchés d''Abidjan, livré chez vous.'),
        (4, 'Qualité constante, prix juste.'),
        (5, 'Parfait pour les repas en famille et les grandes occasions.'),
        (6, 'À conserver dans un endroit frais et sec.')
    ),
    counts AS (
        SELECT (SELECT count(*) FROM base_n) AS nb, (SELECT count(*) FROM qualifier_n) AS nq,
               (SELECT count(*) FROM brand_n) AS nbr, (SELECT count(*) FROM phrase_n) AS np
    ),
    -- One row per product with all its random draws.
    draw AS MATERIALIZED (
        SELECT nextval('demo_synth_seq') AS seq,
               1 + floor(random() * c.nb)::int  AS bi,
               CASE WHEN random() < 0.6 THEN 1 + floor(random() * c.nq)::int END AS qi,
               CASE WHEN random() < 0.5 THEN 1 + floor(random() * c.nbr)::int END AS bri,
               1 + floor(random() * c.np)::int AS pi,
               leaf_ids[1 + floor(random() * cardinality(leaf_ids))::int] AS random_cat,
               random() AS r_nsku, random() AS r_ntags, random() AS r_nimg, random() AS r_active,
               ARRAY[1 + floor(random() * 7)::int, 1 + floor(random() * 7)::int,
                     1 + floor(random() * 7)::int] AS tag_picks,
               random() AS r_price,
               now() - random() * interval '365 days' AS created_at
          FROM generate_series(1, n), counts c
    ),
    prod AS MATERIALIZED (
        SELECT d.seq, x.name, b.sale_type, b.fmt, b.lo, b.hi, b.step, b.avg_piece,
               'synth-' || d.seq || '-'
                   || left(trim(BOTH '-' FROM regexp_replace(shop_fold(x.name), '[^a-z0-9]+', '-', 'g')), 90)
                   AS slug,
               coalesce(b.cat_id, d.random_cat) AS category_id,
               x.name || ' : produit de démonstration. ' || ph.p AS description,
               ARRAY(SELECT DISTINCT (ARRAY['local', 'bio', 'promo', 'frais', 'importe', 'sans-gluten', 'nouveau'])[t]
                       FROM unnest(d.tag_picks[1:CASE WHEN d.r_ntags < 0.3 THEN 0 WHEN d.r_ntags < 0.65 THEN 1
                                                      WHEN d.r_ntags < 0.9 THEN 2 ELSE 3 END]) t
                      ORDER BY 1) AS tags,
               d.r_active >= 0.02 AS active,
               CASE WHEN b.sale_type = 'WEIGHT' THEN 1
                    WHEN d.r_nsku < 0.4 THEN 1 WHEN d.r_nsku < 0.75 THEN 2 ELSE 3 END AS nsku,
               CASE WHEN d.r_nimg < 0.6 THEN 1 ELSE 2 END AS nimg,
               b.lo + round(d.r_price * (b.hi - b.lo)) AS base_price,
               d.created_at,
               d.created_at + random() * (now() - d.created_at) AS updated_at
          FROM draw d
          JOIN base_n b ON b.i = d.bi
          LEFT JOIN qualifier_n q ON q.i = d.qi
          LEFT JOIN brand_n br ON br.i = d.bri
          JOIN phrase_n ph ON ph.i = d.pi
          CROSS JOIN LATERAL (SELECT b.name || coalesce(' ' || q.q, '') || coalesce(' ' || br.b, '') AS name) x
    ),
    -- One row per SKU with all its values: UNIT products get pack formats 1..nsku, WEIGHT
    -- products one "Au kilo" SKU. The first SKU is always active, so every product has a
    -- from_price.
    sku_row AS MATERIALIZED (
        SELECT p.slug, p.sale_type, 'SYN-' || p.seq || '-' || f.k AS code,
               CASE WHEN random() < 0.9 THEN e.ean END AS barcode,
               f.label, f.k - 1 AS position,
               least(60000, greatest(100, round(p.base_price * f.mult * (0.92 + random() * 0.08) / 25) * 25))::bigint
                   AS unit_price,
               NULL::bigint AS price_per_kg, NULL::int AS step_grams, NULL::int AS min_grams,
               NULL::int AS max_grams, NULL::int AS average_piece_grams,
               (CASE WHEN r.s < 0.12 THEN 0
                     WHEN r.s < 0.22 THEN 1 + floor(random() * 10)
                     ELSE 20 + floor(random() * 480) END)::bigint AS stock,
               (5 + floor(random() * 16))::bigint AS low_stock_threshold,
               f.k = 1 OR random() >= 0.03 AS active
          FROM prod p
          JOIN fmt f ON f.fmt = p.fmt AND f.k <= p.nsku
          CROSS JOIN LATERAL (SELECT random() AS s) r
          CROSS JOIN LATERAL (SELECT '6189' || lpad(p.seq::text, 7, '0') || f.k AS body) bd
          CROSS JOIN LATERAL (
              SELECT bd.body || (10 - sum(substr(bd.body, i, 1)::int * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END) % 10) % 10
                         AS ean
                FROM generate_series(1, 12) i) e
         WHERE p.sale_type = 'UNIT'
        UNION ALL
        SELECT p.slug, p.sale_type, 'SYN-' || p.seq || '-1', NULL, 'Au kilo', 0,
               NULL,
               least(60000, greatest(100, round(p.base_price / 25.0) * 25))::bigint,
               p.step,
               p.step * CASE WHEN random() < 0.4 THEN 2 ELSE 1 END,
               p.step * (2 + ceil((3000 + random() * 17000) / p.step))::int,
               round(p.avg_piece * (0.8 + random() * 0.4))::int,
               CASE WHEN random() < 0.12 THEN 0 ELSE p.step * (5 + floor(random() * 400))::bigint END,
               (1000 * (2 + floor(random() * 4)))::bigint,
               true
          FROM prod p
         WHERE p.sale_type = 'WEIGHT'
    ),
    -- product.from_price / in_stock written up front, exactly as the sku trigger computes
    -- them: the trigger then finds nothing to change and never rewrites the product row
    -- (which would add a second version of every product to all its indexes).
    summary AS (
        SELECT slug, min(coalesce(unit_price, price_per_kg)) FILTER (WHERE active) AS from_price,
               coalesce(bool_or(stock > 0) FILTER (WHERE active), false) AS in_stock,
               (array_agg(min_grams ORDER BY coalesce(unit_price, price_per_kg), code) FILTER (WHERE active))[1]
                   AS estimate_grams
          FROM sku_row GROUP BY slug
    ),
    ins_product AS (
        INSERT INTO product (slug, name, description, category_id, sale_type, tags, active,
                             created_at, updated_at, from_price, in_stock, estimate_grams, image_url, image_alt)
        SELECT p.slug, p.name, p.description, p.category_id, p.sale_type, p.tags, p.active,
               p.created_at, p.updated_at, s.from_price, s.in_stock, s.estimate_grams,
               'https://cdn.monepiceriz.ci/images/' || p.slug || '-1.jpg', p.name
          FROM prod p JOIN summary s USING (slug)
        RETURNING id, slug
    ),
    ins_image AS (
        INSERT INTO product_image (product_id, position, url, alt)
        SELECT ip.id, pos, 'https://cdn.monepiceriz.ci/images/' || p.slug || '-' || (pos + 1) || '.jpg',
               CASE pos WHEN 0 THEN p.name ELSE p.name || ', vue de détail' END
          FROM ins_product ip
          JOIN prod p ON p.slug = ip.slug
          CROSS JOIN LATERAL generate_series(0, p.nimg - 1) pos
    ),
    ins_sku AS (
        INSERT INTO sku (product_id, sale_type, code, barcode, label, position, unit_price, price_per_kg,
                         step_grams, min_grams, max_grams, average_piece_grams, stock, low_stock_threshold, active)
        SELECT ip.id, s.sale_type, s.code, s.barcode, s.label, s.position, s.unit_price, s.price_per_kg,
               s.step_grams, s.min_grams, s.max_grams, s.average_piece_grams, s.stock, s.low_stock_threshold, s.active
          FROM ins_product ip
          JOIN sku_row s ON s.slug = ip.slug
    )
    SELECT count(*) INTO inserted FROM ins_product;

    -- fresh statistics for the planner: without them (a PostgreSQL with autovacuum off, or
    -- before it comes round) the cart's line query scans every SKU
    ANALYZE product;
    ANALYZE sku;
    RETURN inserted;
END $fn$;

COMMENT ON FUNCTION demo_generate_products(integer) IS
    'Dev/benchmark only: inserts n synthetic products (synth-*) with SKUs and images; returns n.';
