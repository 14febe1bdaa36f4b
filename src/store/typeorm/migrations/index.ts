// Every migration, oldest first. Add new ones at the end; never edit an applied one.
import { InitialSchema1735000000000 } from './1735000000000-InitialSchema.js';

export const MIGRATIONS = [InitialSchema1735000000000];
