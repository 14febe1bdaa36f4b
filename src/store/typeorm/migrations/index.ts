// Every migration, oldest first. Add new ones at the end; never edit an applied one.
import { InitialSchema1735000000000 } from './1735000000000-InitialSchema.js';
import { ClusterNodes1736000000000 } from './1736000000000-ClusterNodes.js';

export const MIGRATIONS = [InitialSchema1735000000000, ClusterNodes1736000000000];
