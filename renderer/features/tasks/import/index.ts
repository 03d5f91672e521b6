export { TaskImport } from './TaskImport';
