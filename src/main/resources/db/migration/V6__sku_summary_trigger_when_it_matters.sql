-- The SKU trigger that keeps product.from_price / in_stock / estimate_grams (V1) ran its
-- aggregate over the product's SKUs on every stock movement, so every order line paid a
-- second query. A stock movement can only change the product's summary when the SKU goes
-- from some stock to none or back: the UPDATE trigger now fires only then, or when a
-- price, the smallest weight, the active flag or the product changes.
DROP TRIGGER sku_refresh_product ON sku;

CREATE TRIGGER sku_refresh_product_on_insert_or_delete
    AFTER INSERT OR DELETE ON sku
    FOR EACH ROW EXECUTE FUNCTION sku_refresh_product();

CREATE TRIGGER sku_refresh_product_on_update
    AFTER UPDATE OF unit_price, price_per_kg, min_grams, stock, active, product_id ON sku
    FOR EACH ROW
    WHEN ((OLD.stock > 0) IS DISTINCT FROM (NEW.stock > 0)
          OR OLD.unit_price IS DISTINCT FROM NEW.unit_price
          OR OLD.price_per_kg IS DISTINCT FROM NEW.price_per_kg
          OR OLD.min_grams IS DISTINCT FROM NEW.min_grams
          OR OLD.active IS DISTINCT FROM NEW.active
          OR OLD.product_id IS DISTINCT FROM NEW.product_id)
    EXECUTE FUNCTION sku_refresh_product();
