/** Who approves: assignee resolution and eligibility for work items. Non-null by default. */
package io.orchestrion.engine.approvals;
