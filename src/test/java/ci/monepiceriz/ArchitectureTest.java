package ci.monepiceriz;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The house rules of STYLE.md §1, §3 and §7 that the compiler cannot check. */
class ArchitectureTest {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("ci.monepiceriz");

	private static final String[] MODULES = { "catalog", "cart", "ordering", "payment", "delivery", "admin", "support",
			"ops", "events", "notification" };

	@Test
	void domainCodeIsPlainJava() {
		noClasses().that()
			.resideInAPackage("..domain..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.r2dbc..", "io.lettuce..",
					"org.apache.kafka..")
			.check(CLASSES);
	}

	@Test
	void onlyTheEventsAdapterTalksToKafka() {
		noClasses().that()
			.resideOutsideOfPackage("ci.monepiceriz.events.kafka..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("reactor.kafka..", "org.apache.kafka..")
			.check(CLASSES);
	}

	@Test
	void sharedDependsOnNoModule() {
		for (String module : MODULES) {
			noClasses().that()
				.resideInAPackage("ci.monepiceriz.shared..")
				.should()
				.dependOnClassesThat()
				.resideInAPackage("ci.monepiceriz." + module + "..")
				.allowEmptyShould(true)
				.check(CLASSES);
		}
	}

	@Test
	void modulesMeetOnlyThroughEachOthersApiAndDomain() {
		for (String module : MODULES) {
			noClasses().that()
				.resideOutsideOfPackage("ci.monepiceriz." + module + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage("ci.monepiceriz." + module + ".web..",
						"ci.monepiceriz." + module + ".persistence..", "ci.monepiceriz." + module + ".kafka..",
						"ci.monepiceriz." + module + ".mail..", "ci.monepiceriz." + module + ".ga4..")
				.allowEmptyShould(true)
				.check(CLASSES);
		}
	}

	@Test
	void providerAdaptersStayBehindTheirPort() {
		noClasses().that()
			.resideOutsideOfPackage("ci.monepiceriz.payment.cinetpay..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("ci.monepiceriz.payment.cinetpay..")
			.check(CLASSES);
		noClasses().that()
			.resideOutsideOfPackage("ci.monepiceriz.delivery.yango..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("ci.monepiceriz.delivery.yango..")
			.check(CLASSES);
	}

	@Test
	void notificationAdaptersStayBehindTheirPorts() {
		noClasses().that()
			.resideOutsideOfPackages("ci.monepiceriz.notification.mail..", "ci.monepiceriz.notification.ga4..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("ci.monepiceriz.notification.mail..", "ci.monepiceriz.notification.ga4..",
					"org.springframework.mail..", "jakarta.mail..", "org.eclipse.angus..")
			.check(CLASSES);
	}

	@Test
	void nothingBlocksInApplicationCode() {
		noClasses().should()
			.callMethod(reactor.core.publisher.Mono.class, "block")
			.orShould()
			.callMethod(reactor.core.publisher.Flux.class, "blockFirst")
			.orShould()
			.callMethod(reactor.core.publisher.Flux.class, "blockLast")
			.orShould()
			.callMethod(Thread.class, "sleep", long.class)
			.check(CLASSES);
	}

}
