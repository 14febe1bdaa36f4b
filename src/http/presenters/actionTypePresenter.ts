// View models for action types (GET /action_types): what the dashboard's form and
// scripts need to build an action: name, aliases, description and declared parameters.
import type { ActionTypeDescription } from '../../actions/registry.js';
import type { ViewRecord, ViewValue } from './viewModel.js';

export function actionTypeView(t: ActionTypeDescription): ViewRecord {
  return {
    name: t.name,
    aliases: [...t.aliases],
    description: t.description,
    params: t.params.map((p): ViewRecord => ({
      name: p.name,
      type: p.type,
      required: p.required,
      // A secret's default is as secret as its value.
      default: p.secret || p.default === undefined ? null : (p.default as ViewValue),
      description: p.description,
      secret: p.secret ?? false,
      enum: p.enum ? [...p.enum] : null,
    })),
  };
}
