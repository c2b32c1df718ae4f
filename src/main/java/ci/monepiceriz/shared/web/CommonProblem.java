package ci.monepiceriz.shared.web;

import org.springframework.http.HttpStatus;

/** Problems that belong to no module: routing, protocol and infrastructure. */
public enum CommonProblem implements ProblemType {

	ROUTE_NOT_FOUND(HttpStatus.NOT_FOUND, "route-not-found", "Ressource introuvable",
			"Aucune ressource ne correspond à %s.", "Resource not found", "No resource matches %s."),
	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Méthode non autorisée",
			"La méthode %s n'est pas acceptée ici.", "Method not allowed", "Method %s is not accepted here."),
	INVALID_PARAMETERS(HttpStatus.BAD_REQUEST, "invalid-parameters", "Paramètres invalides",
			"Un ou plusieurs paramètres de la requête sont invalides.", "Invalid parameters",
			"One or more request parameters are invalid."),
	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "malformed-request", "Requête mal formée",
			"La requête n'a pas pu être lue.", "Malformed request", "The request could not be read."),
	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
			"Type de contenu non pris en charge", "Le type de contenu %s n'est pas accepté ici.",
			"Unsupported media type", "Content type %s is not accepted here."),
	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Format de réponse indisponible",
			"Aucun des formats demandés n'est disponible.", "Not acceptable",
			"None of the requested formats is available."),
	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Requête trop volumineuse",
			"Le corps de la requête dépasse la taille maximale de %s octets.", "Payload too large",
			"The request body exceeds the maximum size of %s bytes."),
	SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service momentanément indisponible",
			"Le service est momentanément indisponible. Veuillez réessayer dans quelques instants.",
			"Service unavailable", "The service is temporarily unavailable. Please try again shortly."),
	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Erreur interne",
			"Une erreur inattendue s'est produite. Notre équipe a été prévenue.", "Internal error",
			"An unexpected error occurred. Our team has been notified.");

	private final Text text;

	CommonProblem(HttpStatus status, String code, String titleFr, String detailFr, String titleEn, String detailEn) {
		this.text = new Text(status, code, titleFr, detailFr, titleEn, detailEn);
	}

	@Override
	public Text text() {
		return text;
	}

}
