/**
 * The deploy-time analysis without a database: object types, flows and orchestrations given
 * together (files of a repository, resources of a test) are checked by the same code that checks a
 * deploy, against each other and the plugins' condition types and actions.
 */
package io.orchestrion.engine.validation;
