export { TaskFigures } from './TaskFigures';
