package ci.monepiceriz.catalog.web;

import org.springframework.http.HttpStatus;

import ci.monepiceriz.shared.web.ProblemType;

/** What a storefront can get wrong when reading the catalog. */
enum CatalogProblem implements ProblemType {

	PRODUCT_NOT_FOUND(HttpStatus.NOT_FOUND, "product-not-found", "Produit introuvable",
			"Aucun produit disponible ne correspond à « %s ».", "Product not found",
			"No available product matches \"%s\"."),
	BARCODE_NOT_FOUND(HttpStatus.NOT_FOUND, "barcode-not-found", "Code-barres inconnu",
			"Aucun article disponible ne porte le code-barres %s.", "Unknown barcode",
			"No available item has barcode %s."),
	INVALID_BARCODE(HttpStatus.BAD_REQUEST, "invalid-barcode", "Code-barres invalide",
			"« %s » n'est pas un code EAN-13 valide (13 chiffres dont une clé de contrôle).", "Invalid barcode",
			"\"%s\" is not a valid EAN-13 code (13 digits including a check digit).");

	private final Text text;

	CatalogProblem(HttpStatus status, String code, String titleFr, String detailFr, String titleEn, String detailEn) {
		this.text = new Text(status, code, titleFr, detailFr, titleEn, detailEn);
	}

	@Override
	public Text text() {
		return text;
	}

}
