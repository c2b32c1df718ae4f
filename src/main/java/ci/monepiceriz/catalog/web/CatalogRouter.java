package ci.monepiceriz.catalog.web;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problems;

/** Storefront catalog routes (PRODUCT.md §13). */
@Configuration(proxyBeanMethods = false)
class CatalogRouter {

	@Bean
	RouterFunction<ServerResponse> catalogRoutes(CatalogHandler handler) {
		return route().GET("/api/categories", handler::categories)
			.GET("/api/products", handler::list)
			.GET("/api/products/{slug}", handler::show)
			.GET("/api/skus/by-barcode/{ean}", handler::byBarcode)
			.GET("/api/catalog/export", handler::export)
			.onError(Problem.class, Problems::respond)
			.build();
	}

}
