-- Catalog: categories (a tree), products, SKUs, images and tags (PRODUCT.md §3).
-- Every invariant the code relies on is a constraint here.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- pg_trgm declares its word-similarity functions as costing as little as an addition, so
-- the planner would rather compute <% on every row of a sequential scan (~70 ms at 10,000
-- products) than read the trigram index (a few ms). Their real cost is far higher.
ALTER FUNCTION word_similarity(text, text) COST 100;
ALTER FUNCTION word_similarity_op(text, text) COST 100;
ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;

-- unaccent() is only STABLE (it reads its dictionary by name); this wrapper names the
-- dictionary explicitly so it can be IMMUTABLE and back generated columns and indexes.
CREATE FUNCTION shop_fold(input text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, input));

-- EAN-13: 13 digits whose last one is the check digit (weights 1,3,1,3... on the first 12).
CREATE FUNCTION ean13_valid(code text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
    total int := 0;
BEGIN
    IF code !~ '^[0-9]{13}$' THEN
        RETURN false;
    END IF;
    FOR i IN 1..12 LOOP
        total := total + substr(code, i, 1)::int * CASE WHEN i % 2 = 0 THEN 3 ELSE 1 END;
    END LOOP;
    RETURN (10 - total % 10) % 10 = substr(code, 13, 1)::int;
END $$;

CREATE TABLE category (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   bigint REFERENCES category (id),
    slug        text    NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    name        text    NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    position    integer NOT NULL DEFAULT 0,
    active      boolean NOT NULL DEFAULT true,
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX category_parent_idx ON category (parent_id);

CREATE TABLE product (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
    name         text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    description  text        NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    category_id  bigint      NOT NULL REFERENCES category (id),
    sale_type    text        NOT NULL CHECK (sale_type IN ('UNIT', 'WEIGHT')),
    tags         text[]      NOT NULL DEFAULT '{}' CHECK (array_position(tags, NULL) IS NULL),
    active       boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- Denormalised by triggers (below) so that lists read one row per product, with a plan
    -- cheap enough to make: from the active SKUs, the lowest reference price (unit price,
    -- or price per kg for WEIGHT), whether any has stock, and for WEIGHT products the
    -- smallest orderable weight of the cheapest (the list's estimate); from the images,
    -- the first one.
    from_price     bigint      CHECK (from_price > 0),
    in_stock       boolean     NOT NULL DEFAULT false,
    estimate_grams integer     CHECK (estimate_grams > 0),
    image_url      text,
    image_alt      text,
    -- Accent- and case-folded texts for search (name, category name and tags, kept by
    -- trigger below since a generated column cannot read the category) and name sorting.
    search_text  text        NOT NULL DEFAULT '',
    sort_name    text        GENERATED ALWAYS AS (shop_fold(name)) STORED,
    UNIQUE (id, sale_type)
);
CREATE INDEX product_category_idx ON product (category_id) WHERE active;
CREATE INDEX product_sort_name_idx ON product (sort_name, id) WHERE active;
CREATE INDEX product_price_idx ON product (from_price, id) WHERE active;
CREATE INDEX product_newest_idx ON product (created_at DESC, id DESC) WHERE active;
CREATE INDEX product_tags_idx ON product USING gin (tags) WHERE active;
-- Not partial: the planner does not pick a partial trigram index for <% (word similarity).
CREATE INDEX product_search_trgm_idx ON product USING gin (search_text gin_trgm_ops);

CREATE TABLE product_image (
    product_id  bigint   NOT NULL REFERENCES product (id) ON DELETE CASCADE,
    position    smallint NOT NULL CHECK (position >= 0),
    url         text     NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 1000),
    alt         text     NOT NULL DEFAULT '' CHECK (length(alt) <= 300),
    PRIMARY KEY (product_id, position)
);

CREATE TABLE sku (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id           bigint   NOT NULL,
    sale_type            text     NOT NULL,
    code                 text     NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]+(-[A-Z0-9]+)*$' AND length(code) <= 40),
    barcode              text     UNIQUE CHECK (ean13_valid(barcode)),
    label                text     NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 200),
    position             smallint NOT NULL DEFAULT 0,
    -- UNIT: price of one unit, stock counted in units.
    unit_price           bigint   CHECK (unit_price > 0),
    -- WEIGHT: price per kg, ordering step and bounds in grams, stock in grams.
    price_per_kg         bigint   CHECK (price_per_kg > 0),
    step_grams           integer  CHECK (step_grams > 0),
    min_grams            integer,
    max_grams            integer,
    average_piece_grams  integer  CHECK (average_piece_grams > 0),
    stock                bigint   NOT NULL DEFAULT 0 CHECK (stock >= 0),
    low_stock_threshold  bigint   NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
    active               boolean  NOT NULL DEFAULT true,
    FOREIGN KEY (product_id, sale_type) REFERENCES product (id, sale_type) ON UPDATE CASCADE,
    CONSTRAINT sku_unit_shape CHECK (sale_type <> 'UNIT' OR (
        unit_price IS NOT NULL AND price_per_kg IS NULL AND step_grams IS NULL
        AND min_grams IS NULL AND max_grams IS NULL AND average_piece_grams IS NULL)),
    CONSTRAINT sku_weight_shape CHECK (sale_type <> 'WEIGHT' OR (
        unit_price IS NULL AND price_per_kg IS NOT NULL AND step_grams IS NOT NULL
        AND min_grams IS NOT NULL AND max_grams IS NOT NULL
        AND min_grams >= step_grams AND min_grams % step_grams = 0
        AND max_grams >= min_grams AND max_grams % step_grams = 0))
);
CREATE INDEX sku_product_idx ON sku (product_id, position);

-- Keeps product.from_price and product.in_stock equal to what the product's active SKUs
-- say. It writes the product row only when a value really changes, so stock movements
-- that keep a SKU in stock do not touch (or lock) the product.
CREATE FUNCTION product_refresh_summary(target bigint) RETURNS void
    LANGUAGE sql AS $$
    UPDATE product p
       SET from_price = s.from_price, in_stock = s.in_stock, estimate_grams = s.estimate_grams
      FROM (SELECT min(coalesce(unit_price, price_per_kg)) AS from_price,
                   coalesce(bool_or(stock > 0), false)    AS in_stock,
                   (array_agg(min_grams ORDER BY coalesce(unit_price, price_per_kg), code))[1] AS estimate_grams
              FROM sku WHERE product_id = target AND active) s
     WHERE p.id = target
       AND (p.from_price IS DISTINCT FROM s.from_price OR p.in_stock IS DISTINCT FROM s.in_stock
            OR p.estimate_grams IS DISTINCT FROM s.estimate_grams);
$$;

CREATE FUNCTION sku_refresh_product() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM product_refresh_summary(OLD.product_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.product_id <> OLD.product_id) THEN
        PERFORM product_refresh_summary(NEW.product_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER sku_refresh_product
    AFTER INSERT OR DELETE OR UPDATE OF unit_price, price_per_kg, min_grams, stock, active, product_id ON sku
    FOR EACH ROW EXECUTE FUNCTION sku_refresh_product();

-- product.search_text = folded name, category name and tags, whatever changes.
CREATE FUNCTION product_search_text() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := shop_fold(NEW.name || ' ' || (SELECT name FROM category WHERE id = NEW.category_id)
                                 || ' ' || array_to_string(NEW.tags, ' '));
    RETURN NEW;
END $$;

CREATE TRIGGER product_search_text
    BEFORE INSERT OR UPDATE OF name, category_id, tags ON product
    FOR EACH ROW EXECUTE FUNCTION product_search_text();

CREATE FUNCTION category_renamed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE product SET category_id = category_id WHERE category_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER category_renamed
    AFTER UPDATE OF name ON category
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION category_renamed();

-- product.image_url / image_alt = its first image (lowest position), whatever changes.
CREATE FUNCTION product_refresh_image(target bigint) RETURNS void
    LANGUAGE sql AS $$
    UPDATE product p
       SET image_url = i.url, image_alt = i.alt
      FROM (SELECT (SELECT url FROM product_image WHERE product_id = target ORDER BY position LIMIT 1) AS url,
                   (SELECT alt FROM product_image WHERE product_id = target ORDER BY position LIMIT 1) AS alt) i
     WHERE p.id = target
       AND (p.image_url IS DISTINCT FROM i.url OR p.image_alt IS DISTINCT FROM i.alt);
$$;

CREATE FUNCTION product_image_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM product_refresh_image(OLD.product_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM product_refresh_image(NEW.product_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER product_image_changed
    AFTER INSERT OR DELETE OR UPDATE ON product_image
    FOR EACH ROW EXECUTE FUNCTION product_image_changed();
