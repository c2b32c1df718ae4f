package ci.monepiceriz.shared.web;

import org.springframework.http.HttpStatus;

/**
 * One kind of error a client can get. Each module has an enum of these, each constant
 * holding its {@link Text}; {@link Problems} turns them into RFC 9457 answers.
 */
public interface ProblemType {

	Text text();

	default String code() {
		return text().code();
	}

	default HttpStatus status() {
		return text().status();
	}

	/**
	 * A stable machine-readable code (also the end of the type URI), and the title and
	 * detail in French and English; details may hold {@code %s} placeholders filled from
	 * the problem's arguments.
	 */
	record Text(HttpStatus status, String code, String titleFr, String detailFr, String titleEn, String detailEn) {
	}

}
